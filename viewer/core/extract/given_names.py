"""Common given names and the gender they most often go with, for resolving "he" and "she" when the
text says nothing else about a person. Names used for both (Alex, Jordan, Sasha, Kim, Jean, Andrea)
are left out: a pronoun is then resolved only by what the text says."""

from __future__ import annotations

from viewer.core.lexicon import _words

MALE = _words(
    """
    Aaron Abdul Abdullah Abraham Adam Adrian Ahmed Ahmet Aidan Akhmet Alan Albert Aleksander Aleksandr Aleksei
    Alexander Alexei Alexey Alfred Ali Alibek Alikhan Allen Almaz Amir Anatoly Anders Andrei Andrej Andrew Andrey
    Andriy Andrzej Anthony Anton Antonio Armand Arman Arnold Arthur Arsen Askar Asylbek Aslan Ayan Azamat Barack
    Baurzhan Ben Benjamin Bernard Bernie Bill Billy Bob Bobby Bogdan Boris Brad Bradley Brandon Brendan Brent
    Brian Bruce Bruno Bryan Bulat Carl Carlos Charles Charlie Christian Christopher Chuck Claude Clint Colin
    Corey Craig Cory Dan Daniel Daniyar Danny Darren Dave David Dean Denis Dennis Derek Dick Dimitri Dmitri Dmitry
    Dmytro Dominic Don Donald Doug Douglas Duncan Dwight Earl Ed Eddie Edward Edwin Elijah Emil Emmanuel Eric Erik
    Ernest Ethan Eugene Evgeny Farid Felix Ferdinand Frank Franz Fred Frederick Gabriel Gary Gavin Gene Geoff
    Geoffrey George Georgy Gerald Gerhard Giorgi Giuseppe Glenn Gordon Graham Grant Greg Gregory Grigory Gustav
    Hamid Hank Hans Harold Harry Hassan Henri Henrik Henry Herbert Howard Hugh Hugo Ian Igor Ihor Ilya Ivan Jack
    Jacob Jake James Jared Jason Javier Jay Jeb Jeff Jeffrey Jens Jeremy Jerome Jerry Jesse Jim Jimmy
    Joe Joel Johann Johannes John Johnny Jon Jonas Jonathan Jorge Jose Joseph Josh Joshua Juan Julian Justin Kairat
    Kanat Karl Karim Keith Ken Kenneth Kevin Khalid Kirill Konstantin Kurt Kyle Lance Larry Lars Lawrence Leo
    Leon Leonid Leonard Lloyd Louis Luca Lucas Luis Luke Lyndon Maksim Malcolm Marat Marc Marcel Marcin
    Marco Marcus Mario Mark Martin Mateusz Matt Matteo Matthew Max Maxim Michael Michel Miguel Mike Mikhail Miles
    Mitch Mitchell Mohamed Mohammad Mohammed Muhammad Mukhtar Murat Mykola Mykhailo Nathan Neil Nicholas Nick
    Nicolas Nigel Nikita Nikolai Nikolay Noah Norman Nurlan Nursultan Oleg Oleksandr Oleksiy Oliver Olzhas Omar
    Oscar Otto Owen Pablo Patrick Paul Pavel Pawel Pedro Peter Petr Petras Petro Phil Philip Philippe Pierre
    Piotr Rafael Ralph Ramzan Randy Raul Ray Raymond Reince Reinhard Rex Ricardo Richard Rick Rob Robert Roberto
    Rod Rodney Roger Roman Ron Ronald Ross Roy Rudolph Rudy Ruslan Russell Ryan Samuel Saul Scott Sean Sebastian
    Serge Sergei Sergey Sergiy Serhiy Seth Shane Simon Stanislav Stefan Stephen Steve Steven Stuart Sultan
    Svyatoslav Tadeusz Taras Ted Thomas Tim Timothy Timur Toby Todd Tom Tomas Tommy Tony Travis Trent Troy
    Tyler Valentin Valery Vasily Victor Viktor Vincent Vitaly Vladimir Vladislav Volodymyr Walter Wayne Werner
    Wesley Will William Wojciech Wolfgang Yaroslav Yegor Yerlan Yevgeniy Yevgeny Yuri Yury Zbigniew Zhanbolat
    Серик Алексей Александр Андрей Сергей Дмитрий Владимир Николай Михаил Игорь Евгений Павел Иван Нурсултан
    Касым-Жомарт Марат Ерлан Асхат Бауыржан Ержан Олжас Мухтар Арман Тимур Руслан
    """
)

FEMALE = _words(
    """
    Abigail Ada Adriana Agnes Agnieszka Aida Aigerim Aigul Aizhan Alexandra Alexandria Alice Alicia Alina Aliya
    Alla Allison Alyona Alyssa Amanda Amber Amelia Amy Ana Anastasia Anastasiya Angela Angelina Angelique Anita Ann
    Anna Anne Annette Antonina Ariana Asel Assel Aurelia Ayana Aygerim Barbara Beata Beatrice Becky Betsy Betty
    Beverly Bianca Botagoz Bota Brenda Bridget Brittany Camila Carla Carmen Carol Caroline Carolyn Catherine Cathy
    Cecilia Charlotte Chelsea Cheryl Christina Christine Cindy Claire Clara Claudia Colleen Connie Crystal Cynthia
    Daria Darya Dariga Debbie Deborah Debra Denise Diana Diane Dina Donna Doris Dorota Dorothy Ekaterina Elena
    Eleanor Elif Elisabeth Elizabeth Ella Ellen Elvira Emily Emma Erin Eva Evelyn Farida Fatima Fiona Florence
    Frances Gabriela Gail Galina Gloria Grace Gulnara Gulmira Gulzhan Hanna Hannah Harriet Heather Heidi Helen Helena
    Hilary Hillary Holly Hope Ilona Inga Inna Irena Irene Irina Iryna Isabel Isabella Ivanka Jacqueline Jane Janet
    Janna Jennifer Jessica Jill Joan Joanna Joanne Jodi Josephine Joy Joyce Judith Judy Julia Julie Juliet June
    Karen Karin Karina Katarzyna Kate Katerina Katherine Kathleen Kathryn Kathy Katie Katrin Kelly Kellyanne
    Kimberly Kirsten Kristen Kristin Laura Lauren Laurie Lea Leah Lena Lidia Lilia Lily Linda Lisa Liudmila
    Liz Lori Lorraine Louise Lucia Lucy Ludmila Lyudmila Lyudmyla Madeleine Madina Maggie Magdalena Maria Marianne
    Marie Marina Marjorie Marsha Martha Mary Maureen Maya Megan Megyn Melania Melanie Melissa Meryl Michelle Mila
    Mira Miriam Molly Monica Nadezhda Nadia Nancy Natalia Natalie Natalya Nataliya Natasha Nazira Nicole Nikki
    Nina Nora Oksana Olena Olga Olivia Pamela Patricia Paula Pauline Peggy Penny Phyllis Polina Rachel Rebecca Regina
    Renata Rita Roberta Rosa Rosalba Rose Rosemary Roza Ruth Sabina Sally Samantha Sandra Sara Sarah Saule Sharon
    Sheila Shirley Sofia Sonia Sophia Sophie Stephanie Susan Svetlana Sylvia Tamara Tanya Tatiana Tatyana Teresa
    Theresa Tiffany Tina Tracy Ulrike Ursula Valentina Valeria Vanessa Vera Veronica Victoria Viktoria Virginia
    Wendy Marta Liisa Ewa Agata Malgorzata Barbora Petra Jana Eva Ingrid Astrid Sigrid Annika Hanne Yekaterina
    Yelena Yevgenia Yulia Yuliya Zarina Zhanar Zhanna Zoe Zoya Zuhra
    Айгерим Анна Елена Ольга Наталья Татьяна Ирина Мария Светлана Жанна Гульнара Динара Бота Асель Салтанат
    """
)


def gender_of(given: str) -> str | None:
    """ "m" or "f" for a common given name, else None."""
    name = given.strip(".")
    if name in MALE:
        return "m"
    if name in FEMALE:
        return "f"
    return None
